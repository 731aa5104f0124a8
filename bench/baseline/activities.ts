export async function noop(name: string): Promise<string> {
  return name;
}
