// Shapes pinned in docs/api.md — the contract with main_server.

export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type Emotion = (typeof EMOTIONS)[number];
export type EmotionScores = Record<Emotion, number>;

export type ApiErrorBody = {
  error: { code: string; message: string; fields?: Record<string, string[]> };
};

export type User = { id: number; email: string; alias: string };
export type SessionUser = { id: number; alias: string };

export type LoginResponse = {
  access_token: string;
  refresh_token: string;
  user: SessionUser;
};

export type TemplateImage = {
  original_url: string;
  cutout_url: string | null;
  cutout_method: 'alpha' | 'border' | 'rembg' | null;
};

export type TemplateStatus = 'processing' | 'ready' | 'failed';

export type EmojiTemplate = {
  id: number;
  name: string;
  owner_alias: string;
  status: TemplateStatus;
  error: string;
  is_builtin: boolean;
  created_at: string;
  preview_url: string | null;
  images: Partial<Record<Emotion, TemplateImage>>;
};

export type Page<T> = {
  count: number;
  num_pages: number;
  page?: number;
  results: T[];
};

export type RankingEntry = {
  id: number;
  name: string;
  owner_alias: string;
  preview_url: string | null;
  count: number;
};

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'expired';

export type Face = {
  box: [number, number, number, number];
  emotion: Emotion;
  scores: EmotionScores;
  /** the user chose this emotion (a re-render), it was not read from the face */
  overridden: boolean;
};

export type FacesSummary = {
  faces: number;
  /** only emotions some face has, most first */
  by_emotion: Partial<Record<Emotion, number>>;
};

export type JobResult = {
  image_url: string;
  width: number;
  height: number;
  faces: Face[];
  summary: FacesSummary;
};

export type Job = {
  task_id: string;
  status: JobStatus;
  error: string;
  message?: string;
  template?: { id: number; name: string };
  created_at?: string;
  finished_at?: string | null;
  input_url?: string | null;
  result: JobResult | null;
  /** the job this one re-rendered */
  rerender_of?: string | null;
  /** the public link while the result is shared */
  share_url?: string | null;
  expired_at?: string | null;
};

export type RerenderInput = { taskId: string; overrides: Record<string, Emotion> };
export type ShareCreated = { share_url: string };

export type JobCreated = { task_id: string; status: JobStatus };
