/** The languages tuanbot speaks. Every message exists in both (checked by tests/core/i18n). */
export type Language = 'zh-CN' | 'en';
