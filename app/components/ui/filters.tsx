// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Link, useNavigation } from "@remix-run/react";
import { Alert } from "./alert";
import { Button } from "./button";

/**
 * One filter of a list: a labelled select whose first choice is "any" (sent as `anyValue`, empty by
 * default; a list whose unfiltered default is narrower, such as open items only, names it).
 */
export function FilterSelect(props: {
  id: string;
  name: string;
  label: string;
  any: string;
  anyValue?: string;
  value?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} name={props.name} defaultValue={props.value ?? ""}>
        <option value={props.anyValue ?? ""}>{props.any}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The end of a list's filter form (a GET form): its submit button, busy while the list at `path`
 * loads, and, when a filter is set, a link that clears them (to `clearTo`, the bare list by default).
 */
export function FilterActions({
  path,
  filtered,
  label = "Filter",
  clearTo = path,
}: {
  path: string;
  filtered: boolean;
  label?: string;
  clearTo?: string;
}) {
  const navigation = useNavigation();
  return (
    <>
      <Button type="submit" variant="secondary" busy={navigation.state === "loading" && navigation.location.pathname === path}>
        {label}
      </Button>
      {filtered ? <Link to={clearTo}>Clear</Link> : null}
    </>
  );
}

/** What a list left out of the search in its URL (`readFilters`), said above the results. */
export function IgnoredFilters({ ignored }: { ignored: string[] }) {
  if (!ignored.length) return null;
  return (
    <Alert tone="warning" title="Part of this search was ignored">
      {ignored.join(" ")}
    </Alert>
  );
}
