/** The few jStat 1.9 functions `distributions.bench.ts` compares with the engine's (jstat ships no types). */
declare module 'jstat' {
  interface ContinuousDistribution {
    cdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  interface DiscreteDistribution {
    cdf(k: number, ...parameters: number[]): number;
  }
  const jStat: {
    studentt: ContinuousDistribution;
    normal: ContinuousDistribution;
    chisquare: ContinuousDistribution;
    poisson: DiscreteDistribution;
    binomial: DiscreteDistribution;
  };
  export default jStat;
}
