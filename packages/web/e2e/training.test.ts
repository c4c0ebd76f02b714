import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Training in a real browser against the real server: the demo agent plays the drop-ship pack's
 * own quiz on the game board (a right and a wrong answer, scores, finishing), finds the attempt in
 * their history, plays a team game where turns alternate, and asks the SOP.
 */

const PACK_SLUG = 'marketplace-dropship';

async function openTraining(page: Page, brandId: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Brand' }).selectOption(brandId);
  await page.waitForURL(`**/b/${brandId}/inbox`);
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Training' }).click();
  await page.waitForURL(`**/b/${brandId}/training`);
  await page.getByRole('heading', { name: 'Play a quiz' }).waitFor();
}

async function answerCell(page: Page, cell: string, answer: string): Promise<string> {
  await page.getByRole('button', { name: cell, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your answer').fill(answer);
  await dialog.getByRole('button', { name: 'Answer' }).click();
  const verdict = dialog.getByRole('status');
  await verdict.waitFor();
  const text = (await verdict.textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Back to the board' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return text;
}

describeWithBrowser('training', () => {
  let e2e: E2E;
  let agent: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    agent = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('plays the pack quiz on the board: scores update, the attempt is finished and shown in history', async () => {
    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await openTraining(page, agent.brandId);
      await page.getByRole('button', { name: 'Start quiz' }).click();
      await page.waitForURL(`**/b/${agent.brandId}/training/quiz/*`);
      const board = page.getByRole('table', { name: 'Quiz board' });
      await board.waitFor();
      expect(await board.getByRole('columnheader').allTextContents()).toEqual([
        'Order Management',
        'Shipment Claims',
        'Order Changes Post Payment',
        'Tracking/ Processing Delays',
        'Post Delivery Support',
      ]);
      expect(await board.getByRole('button').count()).toBe(25);
      const score = page.getByTestId('score-0');
      expect(await score.textContent()).toBe('0');

      const right = await answerCell(page, 'Shipment Claims for 100', '#CL - lost in transit wait');
      expect(right).toContain('Right');
      expect(right).toContain('+100');
      expect(await score.textContent()).toBe('100');
      await page.getByRole('button', { name: 'Shipment Claims for 100, answered right' }).waitFor();

      const wrong = await answerCell(page, 'Order Changes Post Payment for 200', 'Processing');
      expect(wrong).toContain('Not right');
      expect(wrong).toContain('The SOP says: On-Hold');
      expect(await score.textContent()).toBe('100');
      await page
        .getByRole('button', { name: 'Order Changes Post Payment for 200, answered wrong' })
        .waitFor();

      await answerCell(page, 'Tracking/ Processing Delays for 300', '2 to 3 weeks');
      expect(await score.textContent()).toBe('400');

      await page.getByRole('button', { name: 'Finish quiz' }).click();
      await page.getByText('Finished: 400 of 7500 points.').waitFor();
      await page.getByRole('link', { name: 'Back to training' }).click();
      const history = page.getByRole('table', { name: 'Your quizzes' });
      await history.waitFor();
      const row = history.locator('tbody tr').first();
      expect(await row.textContent()).toContain('400 / 7500');
      expect(await row.textContent()).toContain('Not passed');
      expect(await page.getByRole('heading', { name: 'Certification' }).isVisible()).toBe(true);
      expect(await page.getByText('Not certified for').isVisible()).toBe(true);
    } catch (error) {
      await page.screenshot({ path: artifactPath('training-quiz.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });

  it('plays teams in turns, each with its own score', async () => {
    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await openTraining(page, agent.brandId);
      await page.getByLabel('Teams taking turns').check();
      await page.getByLabel('Teams, comma-separated').fill('Red, Blue');
      await page.getByRole('button', { name: 'Start quiz' }).click();
      await page.getByRole('table', { name: 'Quiz board' }).waitFor();
      const scores = page.getByRole('list', { name: 'Scores' });
      expect(await scores.locator('.scoreboard-turn').textContent()).toContain('Red');
      await answerCell(page, 'Order Management for 100', 'OM Cancellation Process');
      expect(await scores.locator('.scoreboard-turn').textContent()).toContain('Blue');
      await answerCell(page, 'Order Management for 200', 'Shipped');
      expect(await page.getByTestId('score-0').textContent()).toBe('100');
      expect(await page.getByTestId('score-1').textContent()).toBe('200');
      expect(await scores.locator('.scoreboard-turn').textContent()).toContain('Red');
    } catch (error) {
      await page.screenshot({ path: artifactPath('training-teams.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });

  it('lets a lead review an agent’s quiz and override a judgement, which moves the score', async () => {
    const started = await agent.call('POST', `/brands/${agent.brandId}/training/attempts`, {
      source: 'pack',
    });
    expect(started.status).toBe(201);
    const attempt = started.body.data;
    const cell = attempt.questions.find(
      (q: any) => q.category === 'Post Delivery Support' && q.points === 100,
    );
    const answered = await agent.call('POST', `/training/attempts/${attempt.id}/answers`, {
      questionId: cell.id,
      answer: 'one more year on top of the maker’s warranty',
    });
    expect(answered.body.data.score).toBe(0);

    const page = await e2e.newPage();
    try {
      await signIn(page, 'lead@example.com');
      await openTraining(page, agent.brandId);
      const team = page.getByRole('table', { name: 'Team’s quizzes' });
      await team.waitFor();
      expect(await team.textContent()).toContain('Alex Agent');
      await page.goto(`/b/${agent.brandId}/training/quiz/${attempt.id}`);
      await page.getByRole('button', { name: 'Post Delivery Support for 100, answered wrong' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Reason for the override').fill('Same meaning as the SOP’s answer');
      await dialog.getByRole('button', { name: 'Mark as right' }).click();
      await dialog.getByText('Judged by a lead.').waitFor();
      await dialog.getByRole('button', { name: 'Back to the board' }).click();
      expect(await page.getByTestId('score-0').textContent()).toBe('100');
      // Only the player answers the cells of their quiz.
      expect(await page.getByRole('button', { name: 'Post Delivery Support for 200' }).isDisabled()).toBe(
        true,
      );
    } catch (error) {
      await page.screenshot({ path: artifactPath('training-override.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });

  it('asks the SOP in the agent’s words and shows ranked rules with their source', async () => {
    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await openTraining(page, agent.brandId);
      await page.getByLabel('Your question').fill('the vendor emailed that the item is out of stock');
      await page.getByRole('button', { name: 'Ask', exact: true }).click();
      const answers = page.getByRole('list', { name: /Rules answering/ });
      await answers.waitFor();
      const text = (await answers.textContent()) ?? '';
      expect(text).toContain('oos.om-process');
      expect(text).toContain('OM Cancellation Process');
      expect(text).toContain('Source: seed 000');
    } catch (error) {
      await page.screenshot({ path: artifactPath('training-ask.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
