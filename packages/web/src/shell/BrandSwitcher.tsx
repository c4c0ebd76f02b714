import { useId } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { Brand } from '../api/types';
import { switchBrandPath } from './paths';

/**
 * Chooses the brand to work in. It is a native select so it works with the keyboard and screen
 * readers as people expect; choosing keeps the current page and swaps the brand in the URL.
 */
export function BrandSwitcher({ brands, current }: { brands: Brand[]; current: Brand }) {
  const id = useId();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return (
    <div className="brand-switcher">
      <label htmlFor={id}>Brand</label>
      <select
        id={id}
        value={current.id}
        onChange={(event) => navigate(switchBrandPath(pathname, event.target.value))}
        disabled={brands.length < 2}
      >
        {brands.map((brand) => (
          <option key={brand.id} value={brand.id}>
            {brand.name}
          </option>
        ))}
      </select>
      <span className="role-badge" title={`Your role in ${current.name}`}>
        {current.role.title}
      </span>
    </div>
  );
}
