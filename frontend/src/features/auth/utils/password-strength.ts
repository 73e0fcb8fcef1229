export type PasswordStrength = {
  /** 0 (empty) … 4 (strong) */
  score: 0 | 1 | 2 | 3 | 4;
  label: 'empty' | 'weak' | 'fair' | 'good' | 'strong';
};

const LABELS = ['empty', 'weak', 'fair', 'good', 'strong'] as const;

/**
 * A hint only — the server's password validators have the last word. Length
 * matters most; mixing kinds of characters helps; the server rejects under 8.
 */
export function passwordStrength(password: string): PasswordStrength {
  if (password.length === 0) return { score: 0, label: 'empty' };
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  let score: number;
  if (password.length < 8 || /^\d+$/.test(password)) score = 1;
  else if (password.length >= 14 && kinds >= 3) score = 4;
  else if ((password.length >= 12 && kinds >= 2) || kinds >= 3) score = 3;
  else score = 2;
  const s = score as PasswordStrength['score'];
  return { score: s, label: LABELS[s] };
}
