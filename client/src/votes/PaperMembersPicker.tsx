// The members whose paper ballots the chair or secretary records (a yes/no count or an election's
// ballots): one checkbox each, named, by keyboard or touch.
import { useTranslation } from 'react-i18next';

export function PaperMembersPicker(props: {
  eligible: readonly string[];
  picked: readonly string[];
  onChange: (picked: string[]) => void;
  nameOf: (userId: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="record-votes__members">
      <legend>{t('votes.paper.members')}</legend>
      {props.eligible.map((id) => (
        <label key={id} className="check">
          <input
            type="checkbox"
            checked={props.picked.includes(id)}
            onChange={(e) => props.onChange(e.target.checked ? [...props.picked, id] : props.picked.filter((x) => x !== id))}
          />
          {props.nameOf(id)}
        </label>
      ))}
    </fieldset>
  );
}
