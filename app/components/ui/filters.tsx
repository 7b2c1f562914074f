import { Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
  label,
  clearTo = path,
}: {
  path: string;
  filtered: boolean;
  label?: string;
  clearTo?: string;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("common");
  return (
    <>
      <Button type="submit" variant="secondary" busy={navigation.state === "loading" && navigation.location.pathname === path}>
        {label ?? t("filters.filter")}
      </Button>
      {filtered ? <Link to={clearTo}>{t("filters.clear")}</Link> : null}
    </>
  );
}

/** What a list left out of the search in its URL (`readFilters`), said above the results. */
export function IgnoredFilters({ ignored }: { ignored: string[] }) {
  const { t } = useTranslation("common");
  if (!ignored.length) return null;
  return (
    <Alert tone="warning" title={t("filters.ignored")}>
      {ignored.join(" ")}
    </Alert>
  );
}
