// Placeholder until the run command lands (being written now); replaced, not extended.
import { UsageError, type CliIO } from './io';

export async function runRunCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('"run" is not built yet');
}
