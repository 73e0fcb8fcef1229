import { pictureMediaTypeValues } from '@/types/openapi';

// The picture formats the servers accept, from the schema (its PictureMediaType enum).

/** The file pickers' `accept`. */
export const PICTURE_ACCEPT = pictureMediaTypeValues.join(',');

/** Worth uploading: a type the servers accept, or none given (the servers check the content anyway). */
export function isAcceptedPicture(file: File): boolean {
  return file.type === '' || (pictureMediaTypeValues as readonly string[]).includes(file.type);
}
