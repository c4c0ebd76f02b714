import { NavLink, useLocation } from 'react-router';
import { AreaIcon } from '../ui/AreaIcon';
import type { Area } from './areas';
import { brandPath } from './paths';

/** The left navigation: one link per area the person may see in this brand. */
export function SideNav({ brandId, areas }: { brandId: string; areas: Area[] }) {
  const section = useLocation().pathname.split('/')[3];
  return (
    <nav className="side-nav" aria-label="Areas">
      <ul>
        {areas.map((area) => (
          <li key={area.id}>
            <NavLink
              to={brandPath(brandId, area.id)}
              className={({ isActive }) =>
                isActive || (section && area.alsoAt?.includes(section))
                  ? 'side-nav-link active'
                  : 'side-nav-link'
              }
            >
              <AreaIcon area={area.id} />
              <span className="side-nav-label">{area.label}</span>
              <span className="side-nav-key" aria-hidden="true">
                g {area.key}
              </span>
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
