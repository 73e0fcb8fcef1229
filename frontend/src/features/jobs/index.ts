// The jobs feature's public surface, used by src/app routes.
export { JobView } from './components/job-view';
export { PhotoForm } from './components/photo-form';
