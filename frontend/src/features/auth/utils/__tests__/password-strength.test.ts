import { passwordStrength } from '../password-strength';

describe('passwordStrength', () => {
  it('calls an empty password empty', () => {
    expect(passwordStrength('')).toEqual({ score: 0, label: 'empty' });
  });
  it('calls anything under 8 characters weak', () => {
    expect(passwordStrength('Ab1!xyz').label).toBe('weak');
  });
  it('calls an all-digit password weak whatever its length', () => {
    expect(passwordStrength('12345678901234').label).toBe('weak');
  });
  it('calls 8 lowercase letters fair', () => {
    expect(passwordStrength('abcdefgh').label).toBe('fair');
  });
  it('calls mixed kinds good', () => {
    expect(passwordStrength('abcDEF12').label).toBe('good');
  });
  it('calls long and mixed strong', () => {
    expect(passwordStrength('correct-Horse-battery-9').label).toBe('strong');
  });
});
