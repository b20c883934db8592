/**
 * Disjoint sets over the integers `0..size-1` (union-find with path halving and union by size;
 * Tarjan 1975). Each operation costs amortised O(α(n)), effectively constant.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.size = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  /** The representative of `x`'s set. */
  find(x: number): number {
    const parent = this.parent;
    let node = x;
    while (parent[node] !== node) {
      const grand = parent[parent[node]!]!;
      parent[node] = grand;
      node = grand;
    }
    return node;
  }

  /** Merges the sets of `a` and `b`; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }

  /** The sets with at least `minSize` members, each sorted ascending, ordered by their smallest member. */
  groups(minSize = 1): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const root = this.find(i);
      let members = byRoot.get(root);
      if (!members) {
        members = [];
        byRoot.set(root, members);
      }
      members.push(i);
    }
    return [...byRoot.values()].filter((g) => g.length >= minSize).sort((a, b) => a[0]! - b[0]!);
  }
}
