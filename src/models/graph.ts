// models/graph: orders the nodes of a functional graph (Keras map_graph). Walks back from the
// outputs to the inputs, gives each node its depth (outputs 0, growing toward the inputs) and
// lists the layers by decreasing depth, ties broken by traversal order, as Keras does, so the
// summary lists layers in Keras's order.
import { ValueError } from "../core/errors.js";
import type { Layer } from "../nn/layer.js";
import type { Node, SymbolicTensor } from "../nn/symbolic-tensor.js";

export interface GraphMap {
  /** Every node in an order where inputs come before the nodes that use them. */
  readonly nodes: Node[];
  /** Nodes grouped by depth (0 = output nodes). */
  readonly nodesByDepth: Map<number, Node[]>;
  /** Layers ordered by decreasing depth (input layers first). */
  readonly layers: Layer[];
}

export function mapGraph(
  op: string,
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): GraphMap {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const nodesInDecreasingDepth: Node[] = [];
  const layerIndices = new Map<Layer, number>();
  const inputSet = new Set(inputs);

  const visit = (tensor: SymbolicTensor): void => {
    const node = tensor.node;
    if (finished.has(node)) return;
    if (inProgress.has(node))
      throw new ValueError(`${op}: the graph has a cycle at layer "${node.layer.name}"`);
    if (!layerIndices.has(node.layer)) layerIndices.set(node.layer, layerIndices.size);
    inProgress.add(node);
    if (!node.isInput && !inputSet.has(tensor)) for (const t of node.inputs) visit(t);
    finished.add(node);
    inProgress.delete(node);
    nodesInDecreasingDepth.push(node);
  };
  for (const t of outputs) visit(t);

  const nodeDepths = new Map<Node, number>();
  const layerDepths = new Map<Layer, number>();
  for (let i = nodesInDecreasingDepth.length - 1; i >= 0; i--) {
    const node = nodesInDecreasingDepth[i]!;
    const depth = Math.max(nodeDepths.get(node) ?? 0, layerDepths.get(node.layer) ?? 0);
    layerDepths.set(node.layer, depth);
    nodeDepths.set(node, depth);
    for (const parent of node.parentNodes)
      nodeDepths.set(parent, Math.max(depth + 1, nodeDepths.get(parent) ?? 0));
  }
  // inputs that no output depends on still belong to the model
  for (const t of inputs) {
    if (!layerDepths.has(t.node.layer)) {
      layerDepths.set(t.node.layer, 0);
      layerIndices.set(t.node.layer, -1);
      nodeDepths.set(t.node, 0);
      nodesInDecreasingDepth.unshift(t.node);
    }
  }

  const nodesByDepth = new Map<number, Node[]>();
  for (const [node, depth] of nodeDepths) {
    const list = nodesByDepth.get(depth) ?? [];
    list.push(node);
    nodesByDepth.set(depth, list);
  }
  const layersByDepth = new Map<number, Layer[]>();
  for (const [layer, depth] of layerDepths) {
    const list = layersByDepth.get(depth) ?? [];
    list.push(layer);
    layersByDepth.set(depth, list);
  }
  const depths = [...layersByDepth.keys()].sort((a, b) => b - a);
  const layers: Layer[] = [];
  for (const d of depths) {
    const list = layersByDepth.get(d)!;
    list.sort((a, b) => layerIndices.get(a)! - layerIndices.get(b)!);
    layers.push(...list);
  }

  // every tensor a node reads must be computable from the declared inputs
  const computable = new Set<SymbolicTensor>(inputs);
  const nodeDepthKeys = [...nodesByDepth.keys()].sort((a, b) => b - a);
  const ordered: Node[] = [];
  for (const d of nodeDepthKeys) {
    for (const node of nodesByDepth.get(d)!) {
      if (node.isInput && !node.outputs.some((t) => inputSet.has(t))) {
        throw new ValueError(
          `${op}: graph disconnected: input "${node.layer.name}" is needed but is not one of the model's inputs`,
        );
      }
      for (const t of node.inputs) {
        if (!computable.has(t)) {
          throw new ValueError(
            `${op}: graph disconnected: cannot compute the input "${t.name}" of layer "${node.layer.name}"`,
          );
        }
      }
      for (const t of node.outputs) computable.add(t);
      ordered.push(node);
    }
  }

  const names = new Map<string, number>();
  for (const layer of layers) names.set(layer.name, (names.get(layer.name) ?? 0) + 1);
  for (const [name, count] of names) {
    if (count > 1) {
      throw new ValueError(
        `${op}: the name "${name}" is used ${count} times in the model; layer names must be unique`,
      );
    }
  }
  return { nodes: ordered, nodesByDepth, layers };
}
