// doctest runners: the examples are analysed as code run at the call (see the analyzer), nothing here.
import { type ArgumentCheck } from './call-site';

export const doctestCheck: ArgumentCheck = () => {
  // The examples are analysed as code run at this call (see the analyzer).
};
