/** Why dist/ needs a build (a changed source, or no build yet), or undefined when it is up to date. */
export function staleReason(root: string): string | undefined;
/** Runs `npm run build`; why it failed, or undefined once dist/ is built. */
export function rebuild(root: string): string | undefined;
