/**
 * Greedy complete-linkage clustering of items whose similar pairs are known: items are taken in
 * `order` (the caller puts the largest first); each joins the first existing cluster, most similar
 * to its leader first, in which it is similar to **every** member, else it starts a cluster and
 * leads it. No chaining: two members of one cluster are always a similar pair themselves, where
 * single linkage (union-find) lets A ~ B ~ C put A with C however unlike they are.
 *
 * `similar[i]` maps each item similar to i (similarity at least the caller's threshold) to that
 * similarity; it must be symmetric. Returns the clusters, each leader first then in joining order,
 * in order of their leaders. Pure; O(Σ over items of candidate clusters × cluster size).
 */
export function completeLinkage(
  order: readonly number[],
  similar: readonly ReadonlyMap<number, number>[],
): number[][] {
  const clusterOf = new Int32Array(similar.length).fill(-1);
  const clusters: number[][] = [];
  for (const item of order) {
    const neighbours = similar[item]!;
    const candidates = new Set<number>();
    for (const other of neighbours.keys()) if (clusterOf[other] !== -1) candidates.add(clusterOf[other]!);
    const ranked = [...candidates].sort(
      (a, b) => (neighbours.get(clusters[b]![0]!) ?? 0) - (neighbours.get(clusters[a]![0]!) ?? 0) || a - b,
    );
    const joined = ranked.find((c) => clusters[c]!.every((member) => neighbours.has(member)));
    if (joined === undefined) {
      clusterOf[item] = clusters.length;
      clusters.push([item]);
    } else {
      clusterOf[item] = joined;
      clusters[joined]!.push(item);
    }
  }
  return clusters;
}
