// Placeholder until the check command lands (being written now); replaced, not extended.
import { UsageError, type CliIO } from './io';

export async function runCheckCommand(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('"check" is not built yet');
}
