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
            {area.id === 'orders' && (
              <ul className="side-nav-sub" aria-label="Orders">
                <li>
                  <NavLink
                    to={brandPath(brandId, 'orders', 'imports')}
                    className="side-nav-link side-nav-sublink"
                  >
                    <span className="side-nav-label">Imports</span>
                  </NavLink>
                </li>
                <li>
                  <NavLink
                    to={brandPath(brandId, 'orders', 'vendors')}
                    className="side-nav-link side-nav-sublink"
                  >
                    <span className="side-nav-label">Vendors</span>
                  </NavLink>
                </li>
              </ul>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
