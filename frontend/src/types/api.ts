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

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export type Face = {
  box: [number, number, number, number];
  emotion: Emotion;
  scores: EmotionScores;
};

export type JobResult = {
  image_url: string;
  width: number;
  height: number;
  faces: Face[];
};

export type Job = {
  task_id: string;
  status: JobStatus;
  error: string;
  message?: string;
  template?: { id: number; name: string };
  created_at?: string;
  finished_at?: string | null;
  input_url?: string;
  result: JobResult | null;
};

export type JobCreated = { task_id: string; status: JobStatus };
