// Time: the mock's clock (GET/POST /__admin/clock: freeze, shift), the account's test clocks with
// "advance to…" (the API's test helper), and the account's next scheduled tasks with what each will
// do (GET /__admin/state → scheduled_tasks), so "what happens if I advance?" has an answer first.
import type { components } from '../../../../generated/casapay.js';
import { ApiFailure, get, getKey, post, query } from './api.js';
import { fromLocalInput, h, message, pill, replace, time, toLocalInput } from './dom.js';

type S = components['schemas'];
type ClockInfo = { now: number; frozen: boolean; offset_seconds?: number; [k: string]: unknown };

export async function renderClock(main: HTMLElement, notice?: HTMLElement): Promise<void> {
  const key = getKey();
  const [clock, clocks, state] = await Promise.all([
    get<ClockInfo>('/__admin/clock'),
    key
      ? get<{ data: S['TestClock'][] }>(`/v1/test_helpers/test_clocks${query({ limit: 100 })}`)
      : Promise.resolve({ data: [] }),
    // The account exists once it made a request; before that it has nothing scheduled.
    key
      ? get<{ scheduled_tasks: Array<{ at: number; clock: string | null; description: string }> }>(
          `/__admin/state${query({ account: key })}`,
        ).catch(() => ({ scheduled_tasks: [] }))
      : Promise.resolve({ scheduled_tasks: [] }),
  ]);
  const feedback = h('div', { id: 'clock-feedback' }, notice ?? null);
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      await renderClock(main, message('ok', done));
    } catch (error) {
      replace(feedback, message('error', error instanceof ApiFailure ? error.message : String(error)));
    }
  };
  const shift = (seconds: number, label: string) =>
    h(
      'button',
      {
        class: 'quiet',
        onclick: () => void act(() => post('/__admin/clock', { shift_seconds: seconds }), `Shifted ${label}.`),
      },
      label,
    );

  const newClock = h(
    'form',
    { class: 'bar', id: 'test-clock-form' },
    h('label', null, 'name', h('input', { name: 'name', size: 16 })),
    h(
      'label',
      null,
      'frozen at (UTC)',
      h('input', { type: 'datetime-local', name: 'at', value: toLocalInput(clock.now), required: true }),
    ),
    h('button', { type: 'submit' }, 'Create test clock'),
  );
  newClock.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(newClock);
    const body: Record<string, unknown> = { frozen_time: fromLocalInput(String(data.get('at'))) };
    if (data.get('name')) body.name = String(data.get('name'));
    void act(() => post('/v1/test_helpers/test_clocks', body), 'Test clock created.');
  });

  const tasksFor = (clockId: string | null) => state.scheduled_tasks.filter((t) => t.clock === clockId);
  const taskList = (tasks: typeof state.scheduled_tasks) =>
    tasks.length
      ? h(
          'ul',
          { class: 'tasks' },
          tasks
            .slice(0, 20)
            .map((t) => h('li', { 'data-task': t.description }, h('b', null, time(t.at)), ' — ', t.description)),
        )
      : h('p', { class: 'sub' }, 'Nothing scheduled.');

  replace(
    main,
    h('h2', null, 'Clock'),
    feedback,
    h(
      'p',
      null,
      "The mock's now: ",
      h('b', { id: 'mock-now' }, time(clock.now)),
      ' ',
      clock.frozen ? pill('frozen') : pill('running'),
    ),
    h(
      'div',
      { class: 'bar' },
      clock.frozen
        ? h(
            'button',
            { onclick: () => void act(() => post('/__admin/clock', { freeze: false }), 'Clock running.') },
            'Unfreeze',
          )
        : h(
            'button',
            { onclick: () => void act(() => post('/__admin/clock', { freeze: true }), 'Clock frozen.') },
            'Freeze',
          ),
      shift(3600, '+1 hour'),
      shift(86_400, '+1 day'),
      shift(7 * 86_400, '+7 days'),
    ),
    h('h3', null, "Scheduled on the mock's clock"),
    taskList(tasksFor(null)),
    h('h3', null, 'Test clocks'),
    newClock,
    clocks.data.length === 0 ? h('p', { class: 'sub' }, 'No test clocks in this account.') : null,
    clocks.data.map((c) => {
      const form = h(
        'form',
        { class: 'bar advance', 'data-clock': c.id },
        h(
          'label',
          null,
          'advance to (UTC)',
          h('input', {
            type: 'datetime-local',
            name: 'to',
            value: toLocalInput(c.frozen_time + 86_400),
            required: true,
          }),
        ),
        h('button', { type: 'submit' }, 'Advance'),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const to = fromLocalInput(String(new FormData(form).get('to')));
        void act(
          () => post(`/v1/test_helpers/test_clocks/${c.id}/advance`, { frozen_time: to }),
          `${c.name ?? c.id} advanced to ${time(to)}.`,
        );
      });
      return h(
        'section',
        { class: 'test-clock' },
        h(
          'p',
          null,
          h('b', null, c.name ?? c.id),
          ' ',
          h('code', null, c.id),
          ' at ',
          h('b', { class: 'frozen-time' }, time(c.frozen_time)),
          ' ',
          pill(c.status),
        ),
        form,
        h('p', { class: 'muted' }, 'Next on this clock:'),
        taskList(tasksFor(c.id)),
      );
    }),
  );
}
