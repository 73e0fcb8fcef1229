// The mypage feature's public surface, used by src/app routes.
export { MyResults } from './components/my-results';
export { MyTemplates } from './components/my-templates';
