// Stryker ignorer: message text is not behaviour. Mutating the words of an error or finding message
// ("does not exist" -> "") proves nothing about the code, so such mutants are excluded here, by
// configuration, rather than by tests that would pin every sentence. Ignored:
//   - string and template literals passed as the message (2nd argument) of `new LinkToolsError(...)`;
//   - the value of an object property named `message` or `reason` (the schemas describe both as words);
//   - the first argument of a call to a message helper: a function declared in the same file with the
//     return type LinkToolsError (`function bad(message: string): LinkToolsError`, `badPolicy(detail)`);
//   - string and template literals inside a template literal that is itself ignored;
//   - an argument passed to a parameter named `message` or `reason` of a function of the same file
//     (`keep(target, reason, …)`), or to the reason parameter of an imported record helper listed in
//     REASON_ARGS (`none(path, kind, reason, target)` of core/maintenance/change.ts), and the
//     initialiser of a variable named `reason` or `message`;
//   - the whole initialiser of a `const` that is used only inside such message text
//     (`const what = s.what === 'real' ? `a real ${s.type}` : …` read only by `${what}` in a message,
//     or a table of words read only inside a message template: `${reasons.map((r) => words[r])}`);
//   - a conditional whose value is message text and whose branches are all sentences
//     (`message: hops > 1 ? `… (hop ${hops}).` : `…``): its test only picks the words. Not when the
//     test could do anything else (an assignment, ++/--, a call, `new`, delete, await, yield).
// Codes, rule ids, tag names, paths and every other literal are still mutated.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const TEXT = new Set(['StringLiteral', 'TemplateLiteral']);
/** Properties whose value is a sentence for people: `message`, and `reason` (change and resolution records: "in words"). */
const TEXT_PROPERTIES = new Set(['message', 'reason']);

/** Imported helpers whose argument at this index is a reason in words (change.ts: none(path, kind, reason, target)). */
const REASON_ARGS = { none: 2 };

/** The parameter names of a function declared in this file (declaration, or a const arrow/function). */
function localParams(callee) {
  const binding = callee.scope && callee.scope.getBinding(callee.node.name);
  const node = binding && binding.path && binding.path.node;
  if (!node) return null;
  const fn = node.type === 'VariableDeclarator' ? node.init : node;
  if (!fn || !['FunctionDeclaration', 'ArrowFunctionExpression', 'FunctionExpression'].includes(fn.type)) return null;
  return fn.params.map((p) => (p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : null));
}

function isReasonArg(parent, node) {
  const callee = parent.get('callee');
  const i = parent.node.arguments.indexOf(node);
  const binding = callee.scope && callee.scope.getBinding(callee.node.name);
  if (binding && binding.kind === 'module') return REASON_ARGS[callee.node.name] === i;
  const params = localParams(callee);
  return !!params && TEXT_PROPERTIES.has(params[i]);
}

function isMessageArg(path) {
  const parent = path.parentPath;
  if (!parent) return false;
  if (parent.isVariableDeclarator() && parent.node.init === path.node && parent.node.id.type === 'Identifier') {
    return TEXT_PROPERTIES.has(parent.node.id.name); // let reason = `…`
  }
  if (parent.isCallExpression() && parent.node.callee.type === 'Identifier' && isReasonArg(parent, path.node)) return true;
  if (parent.isNewExpression() && parent.node.callee.type === 'Identifier' && parent.node.callee.name === 'LinkToolsError') {
    return parent.node.arguments.indexOf(path.node) >= 1 && parent.node.arguments.indexOf(path.node) <= 1;
  }
  if (parent.isCallExpression() && parent.node.callee.type === 'Identifier' && parent.node.arguments[0] === path.node) {
    return isMessageHelper(parent.get('callee'));
  }
  if (parent.isAssignmentExpression() && parent.node.right === path.node && parent.node.left.type === 'Identifier') {
    return TEXT_PROPERTIES.has(parent.node.left.name); // reason = `…`; later returned as { reason }
  }
  if (parent.isObjectProperty() && parent.node.value === path.node) {
    const k = parent.node.key;
    const name = k.type === 'Identifier' ? k.name : k.type === 'StringLiteral' ? k.value : null;
    return name !== null && TEXT_PROPERTIES.has(name);
  }
  return false;
}

/** The callee is a function of this file declared to return LinkToolsError (it builds an error from a message). */
function isMessageHelper(callee) {
  const binding = callee.scope && callee.scope.getBinding(callee.node.name);
  const fn = binding && binding.path && binding.path.node;
  if (!fn || fn.type !== 'FunctionDeclaration') return false;
  const ret = fn.returnType && fn.returnType.typeAnnotation;
  return !!ret && ret.type === 'TSTypeReference' && ret.typeName.type === 'Identifier' && ret.typeName.name === 'LinkToolsError';
}

/** The node is (part of) the text of a message: itself a message, or inside a concatenation/template that is. */
function inMessage(path) {
  let p = path;
  while (p) {
    if (isMessageArg(p)) return true;
    const up = p.parentPath;
    if (!up || !(up.isBinaryExpression({ operator: '+' }) || up.isTemplateLiteral() || up.isConditionalExpression() || up.isLogicalExpression())) break;
    p = up;
  }
  return false;
}

/** The initialiser of a `const x = …` whose every use is inside message text. */
function isMessageOnlyInit(path) {
  const decl = path.parentPath;
  if (!decl || !decl.isVariableDeclarator() || path.key !== 'init' || decl.node.id.type !== 'Identifier') return false;
  if (!decl.parentPath.isVariableDeclaration({ kind: 'const' })) return false;
  const binding = decl.scope.getBinding(decl.node.id.name);
  if (!binding || !binding.constant || binding.referencePaths.length === 0) return false;
  return binding.referencePaths.every((ref) => inMessage(ref) || insideMessageText(ref));
}

/**
 * The reference lies inside the expression of a message template (`${reasons.map((r) => words[r]).join(', ')}`):
 * its value only shapes the words. Not across a statement (a block-bodied function inside the text).
 */
function insideMessageText(ref) {
  for (let p = ref.parentPath; p && !p.isStatement(); p = p.parentPath) {
    if (TEXT.has(p.node.type) && inMessage(p)) return true;
  }
  return false;
}

/** Node types that could act (not only compute a value): a test holding one is still mutated. */
const ACTING = new Set([
  'AssignmentExpression',
  'UpdateExpression',
  'CallExpression',
  'OptionalCallExpression',
  'NewExpression',
  'AwaitExpression',
  'YieldExpression',
  'TaggedTemplateExpression',
]);

/** The expression only computes a value: nothing in it assigns, calls or otherwise acts. */
function pure(node) {
  if (!node || typeof node !== 'object') return true;
  if (Array.isArray(node)) return node.every(pure);
  if (typeof node.type !== 'string') return true;
  if (ACTING.has(node.type) || (node.type === 'UnaryExpression' && node.operator === 'delete')) return false;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'loc' || k === 'start' || k === 'end' || k.endsWith('Comments') || k === 'extra') continue;
    if (v && typeof v === 'object' && !pure(v)) return false;
  }
  return true;
}

/** Every value the conditional can yield is a string or template literal (nested conditionals likewise). */
function sentenceChoice(node) {
  if (TEXT.has(node.type)) return true;
  return node.type === 'ConditionalExpression' && pure(node.test) && sentenceChoice(node.consequent) && sentenceChoice(node.alternate);
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      if (TEXT.has(path.node.type) && inMessage(path)) return 'message text (words of an error message, not behaviour)';
      if (isMessageOnlyInit(path)) return 'message text (a value used only in the words of a message)';
      if (path.node.type === 'ConditionalExpression' && sentenceChoice(path.node) && inMessage(path)) return 'message text (a condition that only picks between sentences)';
      return undefined;
    },
  }),
];
