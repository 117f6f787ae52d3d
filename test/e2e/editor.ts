import type { Page } from 'playwright';

/**
 * Replaces a live example's code the way a person would: click, select all, delete, type. Typed key
 * by key on a busy machine, a keystroke can land while the editor re-renders (the inline error box
 * coming and going) and the text comes out scrambled: check it, and retype.
 */
export async function typeCode(page: Page, example: string, code: string): Promise<void> {
  const editor = page.locator(`${example} .live-editor pre`);
  for (let attempt = 0; attempt < 3; attempt++) {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(code, { delay: attempt * 20 });
    if ((await editor.textContent())?.trim() === code) return;
  }
  throw new Error(`could not type ${code}: the editor shows ${await editor.textContent()}`);
}
