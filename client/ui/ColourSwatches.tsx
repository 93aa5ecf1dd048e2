import { MEMBER_COLORS } from '../app/identity.ts';

/** The colour a member is shown in (caret, avatar), as a group of radio buttons. */
export function ColourSwatches({ value, onChange, name = 'color' }: { value: string; onChange: (color: string) => void; name?: string }) {
  return (
    <fieldset className="swatches">
      <legend>Colour</legend>
      {MEMBER_COLORS.map((c) => (
        <label key={c} className="swatch" style={{ backgroundColor: c }}>
          <input type="radio" name={name} value={c} checked={value === c} onChange={() => onChange(c)}
            aria-label={`Colour ${c}`} />
        </label>
      ))}
    </fieldset>
  );
}
