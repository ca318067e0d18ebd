/**
 * The remote-resolution model (see model.ts for the rules it encodes): SymlinkEvaluation policy
 * (policy.ts), Windows path forms and host identity (paths.ts), creation rules (creation.ts) and
 * resolution of one link for one opener (model.ts).
 */
export { DEFAULT_POLICY, EVALUATION_CLASSES, formatPolicy, parsePolicy, symlinkEvaluationClass, type Policy } from './policy.js';
export { validateLinkCreation } from './creation.js';
export { resolveLink, type AccessContext, type LinkDescription, type Resolution, type Share } from './model.js';
