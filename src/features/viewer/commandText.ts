import type { TFunction } from 'i18next';
import { keyName, type BindRefusal, type Command, type CommandGroup } from './commands';

/**
 * The commands' words in the reader's language (the `commands` namespace): labels by command id (`label.<id>`),
 * groups, key names. commands.ts keeps its English labels (tests, logs, and the fallback of a key not yet translated).
 */
export const commandLabel = (c: Pick<Command, 'id' | 'label'>, t: TFunction): string => t(`commands:label.${c.id}`, { defaultValue: c.label });

export const groupLabel = (g: CommandGroup, t: TFunction): string => t(`commands:group.${g}`, { defaultValue: g });

/** A key as the help and tooltips show it, in the reader's language: "Space" → "مسافة", "Ctrl+Z" stays. */
export function keyLabel(key: string, t: TFunction): string {
  return keyName(key)
    .split('+')
    .map((part) => t(`commands:key.${part}`, { defaultValue: part }))
    .join('+');
}

/** Why Settings refused a key, in the reader's language. */
export function refusalText(r: BindRefusal, t: TFunction, commands: readonly Command[]): string {
  const key = keyLabel(r.key, t);
  if (r.kind === 'reserved') return t('commands:refused.reserved', { key, why: t(`commands:reserved.${r.key}`) });
  const holder = commands.find((c) => c.id === r.holder);
  return t('commands:refused.taken', { key, command: holder ? commandLabel(holder, t) : r.holder });
}
