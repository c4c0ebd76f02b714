import { useState } from 'react';
import { listMembers, listRoles, removeMember } from '../api/brandAdmin';
import type { Member } from '../api/types';
import { useSignedInSession } from '../session/useSession';
import { useCurrentBrand } from '../shell/currentBrand';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { AddMemberForm } from './AddMemberForm';
import { MemberRow } from './MemberRow';

/** Who works in the brand and with which role: add people, change their role, remove them. */
export function MembersTab() {
  const brand = useCurrentBrand();
  const session = useSignedInSession();
  const members = useResource((signal) => listMembers(brand.id, signal), [brand.id]);
  const roles = useResource((signal) => listRoles(brand.id, signal), [brand.id]);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const canManage = brand.allowed.includes('members.manage');
  useDocumentTitle('Members', brand.name);

  const replace = (member: Member) =>
    members.setData((list) => list?.map((m) => (m.id === member.id ? member : m)));

  return (
    <section aria-labelledby="members-title">
      <div className="section-header">
        <h2 id="members-title">
          Members {members.data && <span className="count">{members.data.length}</span>}
        </h2>
      </div>
      {canManage && (
        <AddMemberForm
          brandId={brand.id}
          roles={roles.data}
          onAdded={(member) =>
            members.setData((list) =>
              [...(list ?? []), member].sort((a, b) => a.user.name.localeCompare(b.user.name)),
            )
          }
        />
      )}
      <ResourceTable
        resource={members}
        error={rowError}
        loadingText="Loading members…"
        columns={['Name', 'Email', 'Role', 'Since']}
      >
        {(rows) =>
          rows.map((member) => (
            <MemberRow
              key={member.id}
              brandId={brand.id}
              member={member}
              roles={roles.data}
              isSelf={member.user.id === session.user.id}
              onChanged={replace}
              onRemove={setRemoving}
              onError={setRowError}
            />
          ))
        }
      </ResourceTable>
      <ConfirmDialog
        open={removing !== null}
        title="Remove member"
        confirmLabel="Remove"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await removeMember(brand.id, removing.id);
          const removedId = removing.id;
          members.setData((list) => list?.filter((m) => m.id !== removedId));
        }}
      >
        Remove <strong>{removing?.user.name}</strong> ({removing?.user.email}) from {brand.name}? They lose
        access to the brand at once; their account stays and can be added again.
      </ConfirmDialog>
    </section>
  );
}
