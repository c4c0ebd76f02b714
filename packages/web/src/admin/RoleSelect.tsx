import type { Role } from '../api/types';

type RoleSelectProps = {
  roles: Role[] | undefined;
  value: string;
  onChange: (role: string) => void;
  id?: string;
  label?: string;
  invalid?: boolean;
};

/** Picks one of the brand's roles by name, showing each role's title. */
export function RoleSelect({ roles, value, onChange, id, label, invalid }: RoleSelectProps) {
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      required
      aria-invalid={invalid}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="" disabled>
        {roles ? 'Choose a role' : 'Loading roles…'}
      </option>
      {roles?.map((role) => (
        <option key={role.id} value={role.name}>
          {role.title}
          {role.external ? ' (external)' : ''}
        </option>
      ))}
    </select>
  );
}
