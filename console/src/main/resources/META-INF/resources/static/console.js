// Progressive enhancement only: every page and form works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // copy buttons: <button data-copy="#id">
  document.querySelectorAll('button[data-copy]').forEach((b) => {
    b.hidden = false;
    b.addEventListener('click', async () => {
      const field = document.querySelector(b.dataset.copy);
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch (e) {
        document.execCommand('copy');
      }
      b.textContent = 'Copied';
      b.setAttribute('aria-live', 'polite');
    });
  });
  // forms that change something for good ask first: <form data-confirm="...">
  document.querySelectorAll('form[data-confirm]').forEach((f) => {
    f.addEventListener('submit', (e) => {
      if (!window.confirm(f.dataset.confirm)) {
        e.preventDefault();
      }
    });
  });
  // the webhook URL: say at once what is wrong with it
  document.querySelectorAll('input[data-webhook-url]').forEach((input) => {
    const message = document.getElementById(input.getAttribute('aria-describedby'));
    const check = () => {
      let text = '';
      try {
        const u = new URL(input.value);
        if (u.protocol !== 'https:' && u.protocol !== 'http:') text = 'Use an https:// URL.';
        else if (u.username || u.password) text = 'Leave credentials out of the URL; choose a security method instead.';
        else if (u.hash) text = 'A webhook URL has no #fragment.';
      } catch (e) {
        text = input.value ? 'This is not a URL yet (it starts with https://).' : '';
      }
      if (message) message.textContent = text;
      input.setCustomValidity(text);
    };
    input.addEventListener('input', check);
  });
});
