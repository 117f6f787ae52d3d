import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// The viz components' colours (light and dark), then the site's own styles.
import '../../src/viz/theme.css';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('react-nn docs: index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
