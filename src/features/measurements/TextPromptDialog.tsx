import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePromptStore } from '../../store/prompt';
import { Modal } from '../common/Modal';

/** The app's text dialog (arrow and text annotations, renaming a measurement), instead of window.prompt. */
export function TextPromptDialog() {
  const request = usePromptStore((s) => s.request);
  const [text, setText] = useState('');
  const { t } = useTranslation('common');
  useEffect(() => setText(request?.initial ?? ''), [request]);
  if (!request) return null;
  const finish = (value: string | undefined) => usePromptStore.getState().answer(value);
  return (
    <Modal title={request.title} onClose={() => finish(undefined)} testId="text-prompt">
      <form
        className="text-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          finish(text);
        }}
      >
        <input
          autoFocus
          aria-label={request.title}
          dir="auto"
          data-testid="text-prompt-input"
          value={text}
          maxLength={64}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t('ok')}</button>
        <button type="button" onClick={() => finish(undefined)}>
          {t('cancel')}
        </button>
      </form>
    </Modal>
  );
}
