import type { Preview } from '@storybook/react-vite';
import '../src/viz/theme.css';
import './stories.css';

const preview: Preview = {
  parameters: {
    controls: { expanded: true, sort: 'requiredFirst' },
    layout: 'padded',
    options: { storySort: { order: ['Introduction', 'Chapters', 'Course', '*'] } },
  },
};

export default preview;
