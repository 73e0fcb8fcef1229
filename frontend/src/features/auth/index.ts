// The auth feature's public surface, used by src/app routes.
export { useLogoutMutation } from './api/logout';
export { LoginForm } from './components/login-form';
export { RegisterForm } from './components/register-form';
export { DeleteAccountButton } from './components/delete-account-button';
