// Writes a Java .properties file (the only escaping RocketMQ configs need: backslashes).
import fs from 'node:fs';

export type PropertyValue = string | number | boolean;

export function writePropertiesFile(file: string, props: Readonly<Record<string, PropertyValue>>): void {
  const lines = Object.entries(props).map(([k, v]) => `${k}=${String(v).replaceAll('\\', '\\\\')}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
