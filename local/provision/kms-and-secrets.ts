import { createKey } from '../standins/kms/service.ts';
import type { KmsKeyStore } from '../standins/kms/store.ts';
import { randomPassword, type SecretStore } from '../standins/secrets-manager.ts';
import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

/**
 * The template's KMS keys and aliases, created directly in the stand-in's store with the ids the resolver
 * hands out (derived from stack + logical id), so `DATA_KEY_ID` and friends stay valid across restarts.
 */
export function provisionKeys(resolver: TemplateResolver, store: KmsKeyStore): void {
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::KMS::Key')) {
    const keyId = resolver.physical(stack, logicalId).ref;
    if (store.has(keyId)) continue;
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    createKey(store, {
      keyId,
      KeySpec: properties.KeySpec as string | undefined,
      KeyUsage: properties.KeyUsage as string | undefined,
      Description: properties.Description as string | undefined,
      Tags: ((properties.Tags as Array<{ Key: string; Value: string }>) ?? []).map(({ Key, Value }) => ({
        TagKey: Key,
        TagValue: Value,
      })),
    });
  }
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::KMS::Alias')) {
    const aliasName = resolver.physical(stack, logicalId).ref;
    const target = resolver.resolveString(resource.Properties?.TargetKeyId, stack);
    const exists = store.aliases().some((alias) => alias.aliasName === aliasName);
    store.setAlias(aliasName, target, { create: !exists });
  }
}

/** The template's secrets, with their literal value or one generated like `GenerateSecretString` does. */
export function provisionSecrets(resolver: TemplateResolver, store: SecretStore): void {
  for (const { stack, logicalId, resource } of resourcesOfType(
    resolver.stacks,
    'AWS::SecretsManager::Secret',
  )) {
    const name = String(resolver.physical(stack, logicalId).attributes.Name);
    if (store.exists(name)) continue;
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    let secretString = properties.SecretString as string | undefined;
    const generate = properties.GenerateSecretString as
      | { SecretStringTemplate?: string; GenerateStringKey?: string; PasswordLength?: number }
      | undefined;
    if (secretString === undefined && generate) {
      const password = randomPassword(generate as never);
      secretString =
        generate.SecretStringTemplate && generate.GenerateStringKey
          ? JSON.stringify({
              ...JSON.parse(generate.SecretStringTemplate),
              [generate.GenerateStringKey]: password,
            })
          : password;
    }
    store.create({
      Name: name,
      SecretString: secretString,
      Description: properties.Description as string | undefined,
    });
  }
}
