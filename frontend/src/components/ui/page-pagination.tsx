import Pagination from '@mui/material/Pagination';
import { useTranslation } from 'react-i18next';

/** Page links for a `{count, num_pages, results}` list; hidden when there is one page. */
export function PagePagination({
  numPages,
  page,
  onPageChange,
  marginTop = 2,
}: {
  numPages: number | undefined;
  page: number;
  onPageChange: (page: number) => void;
  marginTop?: number;
}) {
  const { t } = useTranslation();
  if (!numPages || numPages <= 1) return null;
  return (
    <Pagination
      sx={{ mt: marginTop, display: 'flex', justifyContent: 'center' }}
      count={numPages}
      page={page}
      onChange={(_e, value) => onPageChange(value)}
      getItemAriaLabel={(type, p, selected) =>
        t(`pagination.${type}`, { page: p, context: selected ? 'selected' : undefined })
      }
    />
  );
}
