import * as React from 'react';
import * as nn from '../nn';

/**
 * What an example's code can use without imports: every react-nn export (layers, datasets,
 * hooks, …), React, and its hooks — the `scope` react-live's examples take.
 */
export const liveScope: Readonly<Record<string, unknown>> = Object.freeze({
  ...nn,
  React,
  Fragment: React.Fragment,
  useState: React.useState,
  useEffect: React.useEffect,
  useLayoutEffect: React.useLayoutEffect,
  useMemo: React.useMemo,
  useCallback: React.useCallback,
  useRef: React.useRef,
  useReducer: React.useReducer,
  useContext: React.useContext,
});
