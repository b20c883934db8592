/** Figures as a definition list: a label and its value each. */
export function StatList(props: { stats: readonly { label: string; value: string }[] }) {
  return (
    <dl class="stats">
      {props.stats.map((stat) => (
        <div class="stat" key={stat.label}>
          <dt>{stat.label}</dt>
          <dd>{stat.value}</dd>
        </div>
      ))}
    </dl>
  );
}
