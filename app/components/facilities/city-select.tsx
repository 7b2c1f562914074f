/**
 * A city filter whose cities are grouped under their state, so one list serves without JavaScript
 * (a script-driven "cities of the chosen state" would not). The back office list and the public
 * search page both use it.
 */
export function CitySelect({
  id,
  label,
  any,
  value,
  places,
}: {
  id: string;
  label: string;
  any: string;
  value: string;
  places: { state: string; cities: string[] }[];
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name="city" defaultValue={value}>
        <option value="">{any}</option>
        {places.map((p) => (
          <optgroup key={p.state} label={p.state}>
            {p.cities.map((city) => (
              <option key={city} value={city}>
                {city}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
