/** The dashboard's entry: mounts the app into the page. */
import { render } from 'preact';
import { App } from './App';
import './styles.css';

render(<App />, document.getElementById('app')!);
