/** The AWL-compatible API: `new AWL.client()` and the `AWL_MSG_*` constants. */
import { AwlClient } from './client.js';
import { CONST } from './constants.js';

export const AWL = { client: AwlClient, CONST };
export { CONST };
export { AwlClient, type AwlCall, type AwlCallListener, type AwlConfig } from './client.js';
export type { AwlConstants, AwlMessage } from './constants.js';
