import angry from '@/assets/noto/angry.png';
import disgust from '@/assets/noto/disgust.png';
import fear from '@/assets/noto/fear.png';
import happy from '@/assets/noto/happy.png';
import neutral from '@/assets/noto/neutral.png';
import sad from '@/assets/noto/sad.png';
import surprise from '@/assets/noto/surprise.png';
import type { Emotion } from '@/types/openapi';

// Noto Emoji (Apache-2.0), 128 px copies of assets/emoji/noto — see LICENSES.md.
export const NOTO: Record<Emotion, string> = { angry, disgust, fear, happy, sad, surprise, neutral };
