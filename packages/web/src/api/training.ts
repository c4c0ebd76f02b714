import { api } from './client';

/** Training: quizzes from the brand's pack, history and certification, settings, and Ask the SOP. */

export type QuizCell = {
  id: string;
  category: string;
  points: number;
  question: string;
  kind: 'free_text' | 'choice';
  choices?: string[];
  rule?: string;
  answered: {
    id: string;
    team: number;
    given: string;
    correct: boolean;
    reason: string;
    judgedBy: 'auto' | 'lead';
    expected: string;
  } | null;
};

export type QuizAttempt = {
  id: string;
  brandId: string;
  user: { id: string; name: string | null };
  packId: string;
  packVersion: string;
  source: 'pack' | 'generated';
  seed: number | null;
  mode: 'single' | 'team';
  status: 'in_progress' | 'finished';
  score: number;
  maxScore: number;
  passed: boolean | null;
  startedAt: string;
  finishedAt: string | null;
  teams: { name: string; score: number }[];
  turn: number | null;
  categories: string[];
  points: number[];
  questions: QuizCell[];
  allowed: string[];
};

export type AttemptSummary = {
  id: string;
  user: { id: string; name: string; email: string };
  source: 'pack' | 'generated';
  seed: number | null;
  mode: 'single' | 'team';
  teams: string[];
  status: 'in_progress' | 'finished';
  score: number;
  maxScore: number;
  passed: boolean | null;
  startedAt: string;
  finishedAt: string | null;
};

export type TrainingSettings = { requireCertification: boolean; passPercent: number; allowed: string[] };

export type TrainingHistory = {
  attempts: AttemptSummary[];
  certification: {
    packId: string;
    packVersion: string;
    percent: number;
    certifiedAt: string;
    attemptId: string;
  } | null;
  settings: TrainingSettings;
};

export type SopAnswer = {
  rule: string;
  title: string;
  answer: string;
  macros: string[];
  processes: string[];
  source: string;
  score: number;
};

const brandPath = (brandId: string, rest: string) => `/brands/${encodeURIComponent(brandId)}${rest}`;

export type StartQuizInput = {
  source: 'pack' | 'generated';
  seed?: number;
  mode: 'single' | 'team';
  teams?: string[];
};

export async function startQuiz(brandId: string, input: StartQuizInput): Promise<QuizAttempt> {
  return (await api.post<{ data: QuizAttempt }>(brandPath(brandId, '/training/attempts'), input)).data;
}

export async function fetchAttempt(attemptId: string, signal?: AbortSignal): Promise<QuizAttempt> {
  return (
    await api.get<{ data: QuizAttempt }>(`/training/attempts/${encodeURIComponent(attemptId)}`, { signal })
  ).data;
}

export async function answerCell(
  attemptId: string,
  questionId: string,
  answer: string,
): Promise<QuizAttempt> {
  const path = `/training/attempts/${encodeURIComponent(attemptId)}/answers`;
  return (await api.post<{ data: QuizAttempt }>(path, { questionId, answer })).data;
}

export async function finishQuiz(attemptId: string): Promise<QuizAttempt> {
  return (await api.post<{ data: QuizAttempt }>(`/training/attempts/${encodeURIComponent(attemptId)}/finish`))
    .data;
}

export async function overrideAnswer(
  answerId: string,
  correct: boolean,
  reason: string,
): Promise<QuizAttempt> {
  const path = `/training/answers/${encodeURIComponent(answerId)}/override`;
  return (await api.post<{ data: QuizAttempt }>(path, { correct, reason })).data;
}

export async function fetchHistory(
  brandId: string,
  signal?: AbortSignal,
  scope: { all?: boolean } = {},
): Promise<TrainingHistory> {
  const query = scope.all ? { all: 'true' } : undefined;
  return (
    await api.get<{ data: TrainingHistory }>(brandPath(brandId, '/training/history'), { signal, query })
  ).data;
}

export async function updateTrainingSettings(
  brandId: string,
  input: Partial<Pick<TrainingSettings, 'requireCertification' | 'passPercent'>>,
): Promise<TrainingSettings> {
  return (await api.patch<{ data: TrainingSettings }>(brandPath(brandId, '/training/settings'), input)).data;
}

export async function askSop(brandId: string, q: string, signal?: AbortSignal): Promise<SopAnswer[]> {
  return (
    await api.get<{ data: SopAnswer[] }>(brandPath(brandId, '/sop/ask'), { query: { q, limit: 5 }, signal })
  ).data;
}
