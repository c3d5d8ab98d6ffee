/** The one layout of both graph views: force-directed with room for labels, rings past a size. */
import type { Core, LayoutOptions } from 'cytoscape';

export function graphLayout(elements: number): LayoutOptions {
  if (elements > 300) return { name: 'concentric', animate: false };
  // Labels count as part of each node, so names and relation types do not pile up on each other.
  return { name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, nodeRepulsion: () => 8000, idealEdgeLength: () => 50, componentSpacing: 30 };
}

/** Fits the graph in view, but never blows a handful of nodes up to fill the panel. */
export function fitGraph(cy: Core): void {
  cy.fit(undefined, 20);
  if (cy.zoom() > 1.5) {
    cy.zoom(1.5);
    cy.center();
  }
}
