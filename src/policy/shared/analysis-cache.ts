// Answers worked out once per analysis (a class's methods, its metaclasses) and asked for again and again.
// They are kept under the analysis's own object (its Source), so they go when it does, and a new analysis
// of an edited text starts with none.
export class AnalysisCache<K, V> {
  private readonly byAnalysis = new WeakMap<object, Map<K, V>>();

  /** This analysis's answers. */
  of(analysis: object): Map<K, V> {
    let answers = this.byAnalysis.get(analysis);
    if (!answers) this.byAnalysis.set(analysis, (answers = new Map()));
    return answers;
  }
}
