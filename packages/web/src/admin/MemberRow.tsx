import { useState } from 'react';
import { changeMemberRole } from '../api/brandAdmin';
import type { Member, Role } from '../api/types';
import { formatDay } from '../ui/format';
import { RoleSelect } from './RoleSelect';

type MemberRowProps = {
  brandId: string;
  member: Member;
  roles: Role[] | undefined;
  isSelf: boolean;
  onChanged: (member: Member) => void;
  onRemove: (member: Member) => void;
  onError: (error: unknown) => void;
};

/** One member in the table; "Change role" turns the role cell into a select with Save and Cancel. */
export function MemberRow({ brandId, member, roles, isSelf, onChanged, onRemove, onError }: MemberRowProps) {
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState(member.role.name);
  const [busy, setBusy] = useState(false);
  const canUpdate = member.allowed.includes('update');
  const canRemove = member.allowed.includes('remove');

  const save = async () => {
    setBusy(true);
    onError(null);
    try {
      onChanged(await changeMemberRole(brandId, member.id, role));
      setEditing(false);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr>
      <td>
        {member.user.name}
        {isSelf && <span className="tag">you</span>}
        {member.user.disabled && <span className="tag warn">disabled</span>}
      </td>
      <td className="mono">{member.user.email}</td>
      <td>
        {editing ? (
          <RoleSelect roles={roles} value={role} onChange={setRole} label={`Role of ${member.user.name}`} />
        ) : (
          member.role.title
        )}
      </td>
      <td className="nowrap">{formatDay(member.createdAt)}</td>
      <td className="row-actions">
        {editing ? (
          <>
            <button type="button" className="button small primary" onClick={save} disabled={busy}>
              Save
            </button>
            <button
              type="button"
              className="button small"
              onClick={() => {
                setEditing(false);
                setRole(member.role.name);
              }}
            >
              Cancel
            </button>
          </>
        ) : (
          <>
            {canUpdate && (
              <button type="button" className="button small" onClick={() => setEditing(true)}>
                Change role
              </button>
            )}
            {canRemove && (
              <button type="button" className="button small danger-text" onClick={() => onRemove(member)}>
                Remove
              </button>
            )}
          </>
        )}
      </td>
    </tr>
  );
}
