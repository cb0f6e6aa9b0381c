/** Why dist/ needs a build (a changed source, or no build yet), or undefined when it is up to date. */
export function staleReason(root: string): string | undefined;
