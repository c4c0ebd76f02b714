import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Logo } from '../ui/Logo';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { type ContactBrand, type ContactReceipt, fetchContactBrand, sendContactMessage } from './contactApi';
import './contact.css';

/** The limits the API enforces, so the browser stops the same input first. */
const LIMITS = { name: 200, email: 254, subject: 300, message: 20_000, orderNumber: 64 } as const;

type Values = { name: string; email: string; orderNumber: string; subject: string; message: string };
const EMPTY: Values = { name: '', email: '', orderNumber: '', subject: '', message: '' };

/**
 * The public contact form of a brand, at `/contact/:brandSlug`: anyone may write, without signing
 * in, and the message becomes a ticket in the brand's inbox. The browser checks the required
 * fields; the API's answer decides the rest: the reference to quote, each field it refused, or the
 * limit on how often one address may write. A field no person sees (`website`) catches bots.
 */
export function ContactPage() {
  const { brandSlug = '' } = useParams();
  const brand = useResource((signal) => fetchContactBrand(brandSlug, signal), [brandSlug]);
  useDocumentTitle(brand.data ? `Contact ${brand.data.name}` : 'Contact');
  const missing = brand.error instanceof ApiError && brand.error.status === 404;
  return (
    <main className="centered-page contact-page">
      {brand.data ? (
        <ContactForm key={brand.data.slug} brand={brand.data} />
      ) : (
        <div className="card contact-card">
          <Logo size={24} />
          {brand.loading && (
            <p className="muted" role="status">
              Loading the contact form…
            </p>
          )}
          {missing ? (
            <>
              <h1>No contact form here</h1>
              <p className="muted">There is no contact form at this address. Check the link you followed.</p>
            </>
          ) : (
            <ErrorMessage error={brand.error} />
          )}
        </div>
      )}
    </main>
  );
}

/** What the API refused, by field: `{ email: 'must be an email address' }`. */
function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return {};
  const problems = Array.isArray(error.details.problems) ? error.details.problems : [];
  const byField: Record<string, string> = {};
  for (const p of problems as { field?: unknown; problem?: unknown }[]) {
    if (typeof p.field === 'string' && typeof p.problem === 'string' && !byField[p.field])
      byField[p.field] = p.problem;
  }
  return byField;
}

function ContactForm({ brand }: { brand: ContactBrand }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<(ContactReceipt & { email: string }) | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const problems = fieldProblems(error);
  const rateLimited = error instanceof ApiError && error.code === 'rate_limited';

  // After a refusal, the first field to fix gets focus; after sending, the confirmation does.
  useEffect(() => {
    if (error) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  useEffect(() => {
    if (sent) doneRef.current?.focus();
  }, [sent]);

  const set = (field: keyof Values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const orderNumber = values.orderNumber.trim();
      const receipt = await sendContactMessage(brand.slug, {
        name: values.name,
        email: values.email.trim(),
        subject: values.subject,
        message: values.message,
        ...(orderNumber ? { orderNumber } : {}),
        website,
      });
      setSent({ ...receipt, email: values.email.trim() });
      setValues(EMPTY);
      setWebsite('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <section className="card contact-card" aria-labelledby="contact-sent-title">
        <p className="contact-brand">{brand.name}</p>
        <h1 id="contact-sent-title" ref={doneRef} tabIndex={-1}>
          Message sent
        </h1>
        <p className="contact-receipt" role="status">
          {sent.reference ? (
            <>
              Thank you. Your reference is <strong className="contact-reference">{sent.reference}</strong>.
              Quote it if you write to us about this again.
            </>
          ) : (
            'Thank you, we received your message.'
          )}
        </p>
        <p className="muted">We answer by email at {sent.email}.</p>
        <button type="button" className="button" onClick={() => setSent(null)}>
          Send another message
        </button>
        <ContactFooter />
      </section>
    );
  }

  return (
    <form
      ref={formRef}
      className="card contact-card form"
      aria-labelledby="contact-title"
      aria-describedby="contact-intro"
      onSubmit={submit}
    >
      <p className="contact-brand">{brand.name}</p>
      <h1 id="contact-title">Contact {brand.name}</h1>
      <p id="contact-intro" className="muted contact-intro">
        Send us a message and our support team will answer by email. Fields marked * are required.
      </p>
      <div className="form-row">
        <ContactField label="Your name" required problem={problems.name}>
          {(control) => (
            <input
              {...control}
              name="name"
              autoComplete="name"
              required
              maxLength={LIMITS.name}
              value={values.name}
              onChange={(e) => set('name')(e.target.value)}
            />
          )}
        </ContactField>
        <ContactField label="Email" required problem={problems.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              name="email"
              autoComplete="email"
              required
              maxLength={LIMITS.email}
              value={values.email}
              onChange={(e) => set('email')(e.target.value)}
            />
          )}
        </ContactField>
      </div>
      <ContactField
        label="Order number"
        hint="Optional: it helps us find your order faster."
        problem={problems.orderNumber}
      >
        {(control) => (
          <input
            {...control}
            name="orderNumber"
            autoComplete="off"
            maxLength={LIMITS.orderNumber}
            value={values.orderNumber}
            onChange={(e) => set('orderNumber')(e.target.value)}
          />
        )}
      </ContactField>
      <ContactField label="Subject" required problem={problems.subject}>
        {(control) => (
          <input
            {...control}
            name="subject"
            required
            maxLength={LIMITS.subject}
            value={values.subject}
            onChange={(e) => set('subject')(e.target.value)}
          />
        )}
      </ContactField>
      <ContactField label="Message" required problem={problems.message}>
        {(control) => (
          <textarea
            {...control}
            name="message"
            required
            rows={7}
            maxLength={LIMITS.message}
            value={values.message}
            onChange={(e) => set('message')(e.target.value)}
          />
        )}
      </ContactField>
      {/* The honeypot: hidden from sight, from screen readers and from Tab; only bots fill it in. */}
      <div className="visually-hidden" aria-hidden="true">
        <label>
          Website (leave this empty)
          <input
            type="text"
            name="website"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.target.value)}
          />
        </label>
      </div>
      {rateLimited ? (
        <p className="error-message" role="alert" data-code="rate_limited">
          You have sent several messages in a short time. {(error as ApiError).message}
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
      <button type="submit" className="button primary block" disabled={busy}>
        {busy ? 'Sending…' : 'Send message'}
      </button>
      <ContactFooter />
    </form>
  );
}

type ControlProps = { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };

/**
 * A labelled control with an optional hint and the API's problem with it below; both are read as
 * the control's description, and a refused field is marked invalid.
 */
function ContactField({
  label,
  hint,
  required = false,
  problem,
  children,
}: {
  label: string;
  hint?: string;
  required?: boolean;
  problem?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [hint ? hintId : '', problem ? problemId : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="contact-required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(problem ? { 'aria-invalid': true } : {}),
      })}
      {hint && <small id={hintId}>{hint}</small>}
      {problem && (
        <small id={problemId} className="field-problem">
          {label} {problem}.
        </small>
      )}
    </div>
  );
}

function ContactFooter() {
  return (
    <div className="contact-footer">
      <span>Answered with</span>
      <Logo size={14} />
    </div>
  );
}
