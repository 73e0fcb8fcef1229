// The templates feature's public surface, used by src/app routes.
export { CreateTemplateDialog } from './components/create-template-dialog';
export { DeleteTemplateButton } from './components/delete-template-button';
export { TemplateGallery } from './components/template-gallery';
export { TemplatePictures } from './components/template-pictures';
export { TopThree } from './components/top-three';
export { useGetTemplateQuery } from './api/get-template';
