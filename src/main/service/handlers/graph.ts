/** The graph as of an event: its overview, an object's neighborhood, finding objects, queries, and an object's history. */
import { asOfSeqOf, columnsOf, parseQuery, queryPage } from '../../engine/graph-query.js';
import { cappedNeighborhood, eventTouches, findObjects, graphHubs } from '../../engine/graph-views.js';
import { resolveRunId } from '../../engine/runs.js';
import type { Handlers, ServiceContext } from './context.js';

const GRAPH_CAP_DEFAULT = 2000;

export function graphHandlers({ registry }: ServiceContext): Handlers<'graphOverview' | 'neighborhood' | 'findObjects' | 'graphQuery' | 'objectHistory'> {
  return {
    graphOverview: async ({ storeId, runId, asOfSeq }, signal) => {
      const { graph, seq } = await registry.graphAt(registry.get(storeId), runId, asOfSeq, signal);
      return { asOfSeq: seq, objects: graph.objects.size, relations: graph.relations.size, patches: graph.patches.size, hubs: graphHubs(graph) };
    },
    neighborhood: async ({ storeId, runId, objectId, depth, asOfSeq, limit }, signal) => {
      const { graph, seq } = await registry.graphAt(registry.get(storeId), runId, asOfSeq, signal);
      return { asOfSeq: seq, ...cappedNeighborhood(graph, objectId, depth, limit ?? GRAPH_CAP_DEFAULT) };
    },
    findObjects: async ({ storeId, runId, query, limit }, signal) => {
      const { graph } = await registry.graphAt(registry.get(storeId), runId, undefined, signal);
      return findObjects(graph, query, limit ?? 20);
    },
    graphQuery: async ({ storeId, runId, query, asOfSeq, offset, limit }, signal) => {
      const s = registry.get(storeId);
      const q = parseQuery(query);
      await resolveRunId(s.store, runId);
      const { graph, seq } = await registry.graphAt(s, runId, q.asOf ? await asOfSeqOf(s.store, runId, q.asOf) : asOfSeq, signal);
      return { asOfSeq: seq, columns: columnsOf(q), ...(await queryPage(graph, q, { offset, limit }, signal)) };
    },
    objectHistory: async ({ storeId, runId, objectId, limit }, signal) => {
      const s = registry.get(storeId);
      const t = await registry.timeline(s, runId, { text: JSON.stringify(objectId).slice(1, -1) }, signal);
      const rows = await t.window(0, limit ?? 200);
      return rows.filter((e) => eventTouches(e, objectId, runId)).map((e) => ({ seq: e.seq, id: e.id, type: e.type, actor: e.actor }));
    },
  };
}
