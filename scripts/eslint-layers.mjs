/** The lint rule of scripts/layers.mjs: each file in a layer, each import allowed by its layer. */
import path from 'node:path';
import { LAYERS } from './layers.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

export function layerOf(file) {
  const f = rel(file);
  return LAYERS.find((l) => l.files.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p))) ?? null;
}

/** The file an import names, as a path from the root, with its .ts or .tsx (or the directory's index). */
function resolveTarget(fromFile, spec) {
  const abs = path.resolve(path.dirname(fromFile), spec);
  return rel(abs).replace(/\.js$/, '.ts');
}

const matchesPackage = (spec, pattern) => (pattern.endsWith('*') ? spec.startsWith(pattern.slice(0, -1)) : spec === pattern || spec.startsWith(`${pattern}/`));

function allowedBy(entries, target) {
  return entries.some((e) => {
    if (e.includes('/')) return target === e || target.replace(/\.ts$/, '.tsx') === e;
    const layer = LAYERS.find((l) => l.name === e);
    return layer.files.some((p) => (p.endsWith('/') ? target.startsWith(p) : target === p || target.replace(/\.ts$/, '') === p.replace(/\.ts$/, '')));
  });
}

export const layersRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { noLayer: '{{file}} belongs to no layer: add it to scripts/layers.mjs', denied: '{{layer}} may not import {{spec}} ({{why}}); see scripts/layers.mjs' },
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    const check = (node, spec, typeOnly) => {
      if (!layer || typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = resolveTarget(file, spec);
        if (allowedBy(layer.may, target) || (typeOnly && allowedBy(layer.types ?? [], target))) return;
        const to = layerOf(path.join(ROOT, target));
        context.report({ node, messageId: 'denied', data: { layer: layer.name, spec, why: to ? `a module of ${to.name}` : 'a file of no layer' } });
      } else if (!layer.packages.some((p) => matchesPackage(spec, p)) && !(typeOnly && (layer.typePackages ?? []).some((p) => matchesPackage(spec, p)))) {
        context.report({ node, messageId: 'denied', data: { layer: layer.name, spec, why: 'a package it does not use' } });
      }
    };
    const typeOnlyDecl = (node) => node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      Program(node) {
        if (!layer) context.report({ node, messageId: 'noLayer', data: { file: rel(file) } });
      },
      ImportDeclaration: (node) => check(node, node.source.value, typeOnlyDecl(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};

export default { rules: { 'allowed-imports': layersRule } };
